// The state the apps plugin owns on disk:
//
//	$DOKKU_ROOT/<app>/                              the app directory; its existence is
//	                                                what makes an app exist (0755)
//	$DOKKU_LIB_ROOT/config/apps/<app>/created-at    unix seconds of apps:create
//	$DOKKU_LIB_ROOT/config/apps/<app>/deploy-source           kind of the last deploy
//	                                                (git-push, git-sync, tar, docker-image ...)
//	$DOKKU_LIB_ROOT/config/apps/<app>/deploy-source-metadata  its sha, url or image
//	$DOKKU_LIB_ROOT/config/apps/--global/disable-autocreation "true": pushes to an
//	                                                unknown app fail instead of creating it
//	$DOKKU_LIB_ROOT/data/apps/<app>/.deploy.lock    the deploy lock file: apps:lock
//	                                                creates it, apps:unlock removes it,
//	                                                git-based deploys flock it
//
// Properties are written through internal/property (one file per key, no
// trailing newline, 0600). Destroying an app removes all of the above for
// that app and nothing else.
package apps
