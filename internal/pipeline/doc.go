// Package pipeline is the build and release half of Dokku's deploy
// pipeline in Go (pipeline.md §1.3–§3): what git_trigger_build,
// dokku_receive, dokku_build, dokku_release, release_and_deploy and
// cmd-deploy do in Dokku's bash.
//
//	TriggerBuild(app, dir, rev)        after the source is extracted in dir
//	  core-post-extract, post-extract   stage app.json/Procfile/..., build-dir
//	  builder-detect (first line)       builder property `selected` wins
//	  pre-receive-app
//	  Receive(app, builder, dir)
//	    Cleanup (unless skip-cleanup)   `-----> Cleaning up...`
//	    builder-set-property detected
//	    Build                           builder-build; on failure the previous
//	                                    release image is tagged latest again
//	    ReleaseAndDeploy(app, latest)
//	      builder-release               pre/post-release-builder (app.json tasks)
//	      Deploy                        scheduler-deploy <scheduler> <app> <tag> ""
//	      `=====> Application deployed:` + domains-urls
//
// Cross-plugin steps are triggers, so community builders, schedulers and
// hooks take part exactly as they do with Dokku. Every builder produces
// dokku/<app>:latest (ImageRepo/ImageName); its labels say which builder
// made it and whether it was released (pipeline.md §2, §4.5).
package pipeline
