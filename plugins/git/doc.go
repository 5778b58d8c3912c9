// Package git is Dokku's git core plugin: git over ssh (git-receive-pack,
// git-upload-pack and the other git-* words reached through the commands
// fallback), the pre-receive hook (git-hook), receive-app (deploy lock,
// GIT_REV, extraction of the revision, then internal/pipeline), the other
// sources that end in a git commit (git:sync, git:from-archive,
// git:from-image, git:load-image) and the git settings and report.
//
// On disk (runtime.md §8):
//
//	$DOKKU_ROOT/<app>/                    the app's bare repository; the
//	                                      branch head refs/heads/<deploy-branch>
//	                                      is what ps:rebuild builds
//	$DOKKU_ROOT/<app>/hooks/pre-receive   cat | DOKKU_ROOT="<root>" dokku git-hook <app>
//	$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock
//	                                      deploy lock: an exclusive flock held for
//	                                      the whole build; the file holds the
//	                                      build id and is removed on release
//	$DOKKU_LIB_ROOT/data/git/<app>        git:sync's temporary clone
//	$DOKKU_LIB_ROOT/config/git/<app|--global>/
//	                                      deploy-branch, keep-git-dir, rev-env-var,
//	                                      source-image, archive-max-size, archive-max-files
//	/tmp/dokku-<PID>-git_build_app_repo.XXXXXX
//	                                      the extracted source of one build (0755),
//	                                      removed when the build ends
//
// The lock is the flock, not the file: a deploy killed with SIGKILL drops
// its flock with its process, and a leftover file (or one made by
// apps:lock) does not stop the next deploy.
package git
