package sshd

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	gliderssh "github.com/gliderlabs/ssh"
	"golang.org/x/sys/unix"
)

// openPTY allocates a pseudo-terminal pair through /dev/ptmx.
func openPTY() (master, slave *os.File, err error) {
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		return nil, nil, err
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.FormatUint(uint64(n), 10), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, s, nil
}

func setWindow(f *os.File, w gliderssh.Window) {
	if w.Width <= 0 || w.Height <= 0 || w.Width > 0xffff || w.Height > 0xffff {
		return
	}
	unix.IoctlSetWinsize(int(f.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: uint16(w.Height), Col: uint16(w.Width)})
}

// runPTY runs the command on a new terminal as the session leader, relaying
// the terminal to the channel and window changes to the terminal.
func (s *Server) runPTY(sess gliderssh.Session, cmd *exec.Cmd, req gliderssh.Pty, winch <-chan gliderssh.Window) int {
	master, slave, err := openPTY()
	if err != nil {
		return s.startFailed(sess, err)
	}
	defer master.Close()
	if c := s.Credential; c != nil {
		os.Chown(slave.Name(), int(c.Uid), int(c.Gid))
	}
	setWindow(master, req.Window)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr.Setsid = true
	cmd.SysProcAttr.Setctty = true
	cmd.SysProcAttr.Ctty = 0
	err = cmd.Start()
	slave.Close()
	if err != nil {
		return s.startFailed(sess, err)
	}
	go func() {
		for w := range winch {
			setWindow(master, w)
		}
	}()
	go io.Copy(master, sess)
	copied := make(chan struct{})
	go func() {
		// Ends with EIO once every holder of the terminal has closed it.
		io.Copy(sess, master)
		close(copied)
	}()
	stop := s.forwardSignals(sess, cmd, true)
	defer stop()
	werr := cmd.Wait()
	select {
	case <-copied:
	case <-time.After(outputGrace):
	}
	var ee *exec.ExitError
	if werr != nil && !errors.As(werr, &ee) {
		return 255
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return cmd.ProcessState.ExitCode()
}
