package builds

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// view is a record as builds:list and builds:info show it in JSON.
type view struct {
	Record
	DisplayStatus Status `json:"display_status"`
	Duration      string `json:"duration"`
	LogPath       string `json:"log_path"`
}

func toView(s store, r Record) view {
	return view{Record: r, DisplayStatus: r.DisplayStatus(), Duration: r.Duration().String(), LogPath: s.logPath(r.App, r.ID)}
}

func checkFormat(f string) error {
	if f != "stdout" && f != "json" {
		return ui.Fail("Invalid format specified, supported formats: json, stdout")
	}
	return nil
}

type listOptions struct{ format, kind, status string }

func newListCmd(ctx *plugin.Context) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		name := plugin.Arg(args, 0)
		return runList(ctx, o, name)
	}}
	cmd.Flags().StringVar(&o.format, "format", "stdout", "")
	cmd.Flags().StringVar(&o.kind, "kind", "", "")
	cmd.Flags().StringVar(&o.status, "status", "", "")
	return cmd
}

// runList is builds:list [<app>] [--format json] [--kind K] [--status S]:
// one app's records (live first, then newest), or every app's running
// builds without an app.
func runList(ctx *plugin.Context, o *listOptions, name string) error {
	if err := checkFormat(o.format); err != nil {
		return err
	}
	if o.kind != "" && o.kind != string(KindBuild) && o.kind != string(KindDeploy) {
		return ui.Failf("Invalid --kind value %q (allowed: build, deploy)", o.kind)
	}
	switch Status(o.status) {
	case "", StatusRunning, StatusSucceeded, StatusFailed, StatusCanceled, StatusAbandoned:
	default:
		return ui.Failf("Invalid --status value %q (allowed: running, succeeded, failed, canceled, abandoned)", o.status)
	}
	s := store{ctx}
	match := func(v view) bool {
		return (o.kind == "" || string(v.Kind) == o.kind) && (o.status == "" || string(v.DisplayStatus) == o.status)
	}
	var views []view
	if name == "" {
		apps, err := app.List(ctx)
		if err != nil {
			return err
		}
		for _, a := range apps {
			recs, err := s.all(a, warner(ctx))
			if err != nil {
				ctx.UI().Warn(fmt.Sprintf("Could not read builds for %s: %s", a, err))
				continue
			}
			for _, r := range recs {
				if v := toView(s, r); r.Status == StatusRunning && match(v) {
					views = append(views, v)
				}
			}
		}
		sort.SliceStable(views, func(i, j int) bool { return views[i].StartedAt.After(views[j].StartedAt) })
		if o.format == "json" {
			return printJSON(ctx.Stdout, views)
		}
		if len(views) == 0 {
			fmt.Fprintln(ctx.Stdout, "No builds currently running")
			return nil
		}
		rows := []string{"App | Build ID | Kind | PID | Source | Started"}
		for _, v := range views {
			rows = append(rows, fmt.Sprintf("%s | %s | %s | %d | %s | %s", v.App, v.ID, v.Kind, v.PID, v.Source, v.StartedAt.Format(time.RFC3339)))
		}
		fmt.Fprintln(ctx.Stdout, ui.Columnize(rows, "|", "  ", ""))
		return nil
	}
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	recs, err := s.all(name, warner(ctx))
	if err != nil {
		return err
	}
	for _, r := range recs {
		if v := toView(s, r); match(v) {
			views = append(views, v)
		}
	}
	sort.SliceStable(views, func(i, j int) bool {
		li, lj := views[i].DisplayStatus == StatusRunning, views[j].DisplayStatus == StatusRunning
		if li != lj {
			return li
		}
		return views[i].StartedAt.After(views[j].StartedAt)
	})
	if o.kind == "" && o.status == "" {
		live := 0
		for _, v := range views {
			if v.DisplayStatus == StatusRunning {
				live++
			}
		}
		if limit := live + s.retention(name, warner(ctx)); limit < len(views) {
			views = views[:limit]
		}
	}
	if o.format == "json" {
		return printJSON(ctx.Stdout, views)
	}
	if len(views) == 0 {
		fmt.Fprintln(ctx.Stdout, "No builds recorded for this app")
		return nil
	}
	rows := []string{"Build ID | Kind | Status | PID | Source | Started | Duration"}
	for _, v := range views {
		rows = append(rows, fmt.Sprintf("%s | %s | %s | %d | %s | %s | %s", v.ID, v.Kind, v.DisplayStatus, v.PID, v.Source, v.StartedAt.Format(time.RFC3339), v.Duration))
	}
	fmt.Fprintln(ctx.Stdout, ui.Columnize(rows, "|", "  ", ""))
	return nil
}

func printJSON(w io.Writer, v []view) error {
	if v == nil {
		v = []view{}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, string(b))
	return nil
}

type infoOptions struct{ format string }

func newInfoCmd(ctx *plugin.Context) *cobra.Command {
	o := &infoOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runInfo(ctx, o, plugin.Arg(args, 0), plugin.Arg(args, 1))
	}}
	cmd.Flags().StringVar(&o.format, "format", "stdout", "")
	return cmd
}

// runInfo is builds:info <app> <build-id> [--format json|stdout].
func runInfo(ctx *plugin.Context, o *infoOptions, name, id string) error {
	if err := checkFormat(o.format); err != nil {
		return err
	}
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	if id == "" {
		return ui.Fail("Please specify a build id")
	}
	s := store{ctx}
	r, err := s.read(name, id)
	if errors.Is(err, os.ErrNotExist) {
		return ui.Failf("No build record found for %s/%s", name, id)
	}
	if err != nil {
		return err
	}
	v := toView(s, r)
	if o.format == "json" {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		fmt.Fprintln(ctx.Stdout, string(b))
		return nil
	}
	rows := []string{
		"Build ID:|" + v.ID, "App:|" + v.App, "Kind:|" + string(v.Kind), "Status:|" + string(v.DisplayStatus),
		fmt.Sprintf("PID:|%d", v.PID), "Source:|" + v.Source, "Started:|" + v.StartedAt.Format(time.RFC3339),
	}
	if v.FinishedAt != nil {
		rows = append(rows, "Finished:|"+v.FinishedAt.Format(time.RFC3339))
	}
	rows = append(rows, "Duration:|"+v.Duration)
	if v.ExitCode != nil {
		rows = append(rows, fmt.Sprintf("Exit Code:|%d", *v.ExitCode))
	}
	rows = append(rows, "Log:|"+v.LogPath)
	fmt.Fprintln(ctx.Stdout, ui.Columnize(rows, "|", "  ", ""))
	return nil
}

// currentID is the build id written in the app's deploy lock ("" when no
// deploy holds it).
func currentID(ctx *plugin.Context, name string) (string, bool) {
	b, err := os.ReadFile(app.DeployLockPath(ctx, name))
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(b)), true
}

func newOutputCmd(ctx *plugin.Context) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runOutput(ctx, plugin.Arg(args, 0), plugin.Arg(args, 1))
	}}
}

// followInterval is how often a running build's log is polled.
const followInterval = 200 * time.Millisecond

// runOutput is builds:output <app> [<build-id>|current]: the build log;
// for a build still running it follows the log until the build ends.
func runOutput(ctx *plugin.Context, name, id string) error {
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	u := ctx.UI()
	if id == "" || id == "current" {
		cur, locked := currentID(ctx, name)
		if !locked {
			u.Info1("App not currently deploying")
			return nil
		}
		if cur == "" {
			u.Info1("No matching app deploy found")
			return nil
		}
		id = cur
	}
	s := store{ctx}
	if !validID(id) {
		return ui.Failf("no such build %s for app %s", id, name)
	}
	f, err := os.Open(s.logPath(name, id))
	if errors.Is(err, os.ErrNotExist) {
		if _, rerr := s.read(name, id); rerr != nil {
			return ui.Failf("no such build %s for app %s", id, name)
		}
		return ui.Failf("The log of build %s of %s is no longer available", id, name)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		if _, err := io.Copy(ctx.Stdout, f); err != nil {
			return err
		}
		r, err := s.read(name, id)
		if err != nil || !r.live() {
			_, err := io.Copy(ctx.Stdout, f)
			return err
		}
		time.Sleep(followInterval)
	}
}

func newCancelCmd(ctx *plugin.Context) *cobra.Command {
	return &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runCancel(ctx, plugin.Arg(args, 0))
	}}
}

// runCancel is builds:cancel <app>: the build holding the deploy lock is
// stopped (its process group is sent SIGTERM) and recorded as canceled.
func runCancel(ctx *plugin.Context, name string) error {
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	u := ctx.UI()
	lockPath := app.DeployLockPath(ctx, name)
	id, locked := currentID(ctx, name)
	if !locked {
		u.Info1("App not currently deploying")
		return nil
	}
	if id == "" {
		u.Info1("No matching app deploy found")
		return nil
	}
	s := store{ctx}
	r, err := s.read(name, id)
	if errors.Is(err, os.ErrNotExist) {
		u.Info1(fmt.Sprintf("No build record for %s, removing stale lock file", id))
		os.Remove(lockPath)
		return nil
	}
	if err != nil {
		return err
	}
	if r.Status != StatusRunning {
		u.Info1(fmt.Sprintf("Build %s is no longer running (status=%s); leaving record untouched", id, r.Status))
		return nil
	}
	now := time.Now().UTC()
	code := -1
	if !pidAlive(r.PID) {
		u.Info1("Build was already terminated, marking failed")
		r.Status, r.FinishedAt, r.ExitCode = StatusFailed, &now, &code
		if err := s.write(r); err != nil {
			return err
		}
		os.Remove(lockPath)
		return nil
	}
	u.Info1("Killing app deploy")
	// compat: Dokku sends SIGQUIT; a Go process would answer it with a dump
	// of every goroutine, so the group gets SIGTERM.
	if err := killGroup(r.PID); err != nil {
		u.Warn(fmt.Sprintf("Failed to signal process group of %d: %s", r.PID, err))
	}
	if cur, err := s.read(name, id); err == nil && cur.Status == StatusRunning {
		cur.Status, cur.FinishedAt, cur.ExitCode = StatusCanceled, &now, &code
		if err := s.write(cur); err != nil {
			return err
		}
	}
	os.Remove(lockPath)
	return nil
}

func killGroup(pid int) error {
	pgid, err := syscall.Getpgid(pid)
	if err != nil {
		return err
	}
	if pgid <= 1 || pgid == syscall.Getpgrp() {
		return syscall.Kill(pid, syscall.SIGTERM)
	}
	return syscall.Kill(-pgid, syscall.SIGTERM)
}

type pruneOptions struct{ allApps bool }

func newPruneCmd(ctx *plugin.Context) *cobra.Command {
	o := &pruneOptions{}
	cmd := &cobra.Command{RunE: func(_ *cobra.Command, args []string) error {
		return runPrune(ctx, o, plugin.Arg(args, 0))
	}}
	cmd.Flags().BoolVar(&o.allApps, "all-apps", false, "")
	return cmd
}

// runPrune is builds:prune <app> [--all-apps]: reap abandoned records and
// trim finished ones to the retention count.
func runPrune(ctx *plugin.Context, o *pruneOptions, name string) error {
	s := store{ctx}
	if o.allApps {
		apps, err := app.List(ctx)
		if err != nil {
			return err
		}
		if len(apps) == 0 {
			ctx.UI().Warn(app.ErrNoApps.Error())
			return nil
		}
		for _, a := range apps {
			if err := s.prune(a, warner(ctx)); err != nil {
				ctx.UI().Warn(fmt.Sprintf("Prune failed for %s: %s", a, err))
			}
		}
		return nil
	}
	if err := app.Verify(ctx, name); err != nil {
		return err
	}
	return s.prune(name, warner(ctx))
}
