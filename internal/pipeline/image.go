package pipeline

import (
	"context"
	"strings"

	"github.com/godokku/dokku/internal/app"
	"github.com/godokku/dokku/internal/docker"
	"github.com/godokku/dokku/internal/plugin"
	"github.com/godokku/dokku/internal/ui"
)

// Image stages (label com.dokku.image-stage).
const (
	StageBuild   = "build"
	StageRelease = "release"
)

// BaseLabels are the labels every Dokku image and container carries
// (DOKKU_GLOBAL_BUILD_ARGS / DOKKU_GLOBAL_RUN_ARGS).
func BaseLabels() map[string]string {
	return map[string]string{
		"org.label-schema.schema-version": "1.0",
		"org.label-schema.vendor":         "dokku",
		"dokku":                           "",
	}
}

// BuildLabels are the labels of an image a builder produced for app.
func BuildLabels(appName, builderType string) map[string]string {
	l := BaseLabels()
	l[docker.LabelImageStage] = StageBuild
	l[docker.LabelBuilderType] = builderType
	l[docker.LabelAppName] = appName
	return l
}

// ReleaseLabels are added to an image when it is released.
func ReleaseLabels(appName string) map[string]string {
	l := BaseLabels()
	l[docker.LabelImageStage] = StageRelease
	l[docker.LabelAppName] = appName
	return l
}

// ImageName is get_app_image_name: dokku/<app>:<tag>, tag default latest.
func ImageName(appName, tag string) string { return app.ImageName(appName, tag) }

// ImageRepo is get_app_image_repo: dokku/<app>.
func ImageRepo(appName string) string { return app.ImageRepo(appName) }

// SourceType is get_image_builder_type: the builder-type label, else
// herokuish for herokuish-based images (pack for CNB ones), else dockerfile.
func SourceType(img *docker.Image, appUser string) string {
	if img == nil {
		return "dockerfile"
	}
	if img.Labels[docker.LabelCNBStack] != "" {
		return "pack"
	}
	if t := img.Labels[docker.LabelBuilderType]; t != "" {
		return t
	}
	if IsHerokuishImage(img, appUser) {
		return "herokuish"
	}
	return "dockerfile"
}

// IsHerokuishImage is is_image_herokuish_based: a CNB image, or one whose
// environment has USER=<DOKKU_APP_USER, default herokuishuser>.
func IsHerokuishImage(img *docker.Image, appUser string) bool {
	if img == nil {
		return false
	}
	if img.Labels[docker.LabelCNBStack] != "" {
		return true
	}
	if appUser == "" {
		appUser = "herokuishuser"
	}
	for _, e := range img.Env {
		if e == "USER="+appUser {
			return true
		}
	}
	return false
}

// IsCNBImage reports a Cloud Native Buildpacks image.
func IsCNBImage(img *docker.Image) bool {
	return img != nil && img.Labels[docker.LabelCNBStack] != ""
}

// DeployingImageName is get_deploying_app_image_name: the registry prefix
// (deployed-app-repository), the repo (deployed-app-image-repo, default
// dokku/<app>) and the tag (deployed-app-image-tag, else tag, else latest).
// The image must exist locally: ` !     App image (<image>) not found`.
func DeployingImageName(ctx *plugin.Context, appName, tag string) (string, error) {
	server := ctx.TriggerValue("deployed-app-repository", appName)
	repo := ctx.TriggerValue("deployed-app-image-repo", appName)
	if t := ctx.TriggerValue("deployed-app-image-tag", appName); t != "" {
		tag = t
	}
	if repo == "" {
		repo = ImageRepo(appName)
	}
	if tag == "" {
		tag = "latest"
	}
	image := server + repo + ":" + tag
	cli, err := docker.FromContext(ctx)
	if err != nil {
		return "", err
	}
	img, err := cli.ImageInspect(context.Background(), image)
	if err != nil {
		return "", err
	}
	if img == nil {
		return "", ui.Failf("App image (%s) not found", image)
	}
	return image, nil
}

// TagOf returns the tag part of an image reference ("latest" when none).
func TagOf(image string) string {
	i := strings.LastIndexByte(image, ':')
	if i < 0 || strings.Contains(image[i:], "/") {
		return "latest"
	}
	return image[i+1:]
}
