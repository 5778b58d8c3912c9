// Package nginxvhosts is Dokku's nginx-vhosts core plugin (namespace
// `nginx`): it renders each app's nginx configuration from a sigil template
// and makes nginx serve it.
//
// Files it owns:
//
//	$DOKKU_ROOT/<app>/nginx.conf                 rendered config (0644)
//	$DOKKU_ROOT/<app>/nginx.conf.d/hsts.conf     HSTS header when the app has a certificate
//	$DOKKU_LIB_ROOT/data/nginx-vhosts/app-<app>/nginx.conf.sigil[.<DOKKU_PID>[.missing]]
//	                                             the app's own template (staged per build)
//	$DOKKU_LIB_ROOT/data/nginx-vhosts/dokku-errors/{400,404,500,502}-error.html
//	$DOKKU_LIB_ROOT/data/nginx-vhosts/.nginx.lock  serialises install/validate/reload
//	/etc/nginx/conf.d/dokku.conf                 includes $DOKKU_ROOT/*/nginx.conf
//	/etc/nginx/conf.d/server_names_hash_bucket_size.conf
//	/etc/nginx/dhparam.pem                       RFC 7919 ffdhe2048 when absent
//	/etc/sudoers.d/dokku-nginx                   nginx -t / reload whitelist (0440)
//
// Properties (config/nginx/<app|--global>/<key>): the 31 nginx:set keys
// and the global `proxy-status` (started|stopped).
//
// Installing a config never disturbs the running one: the new nginx.conf
// replaces the old under a lock, `nginx -t` checks the whole configuration,
// and on failure the previous files are put back before nginx is reloaded
// (nginx only reads them on reload). In a scratch tree without an
// nginx.conf to test, the candidate is checked alone inside the validation
// wrapper before it replaces anything.
//
// Host paths go through DOKKU_SYSTEM_ROOT (env.SystemPath), logs included
// (/var/log/nginx). Overrides for tests and unusual hosts:
//
//	DOKKU_NGINX_BIN           the nginx binary (default: /usr/bin/openresty if
//	                          present, else /usr/sbin/nginx, /usr/bin/nginx, PATH)
//	DOKKU_SYSTEM_ROOT         scratch root: `nginx -t -c <root>/etc/nginx/nginx.conf`
//	                          when that file exists; no reload or service action
//	nginx-service-command     (nginx:set --global) shell command that reloads
//	                          nginx; always used when set, also in a scratch root
//
// On the real system nginx is reloaded with `nginx -s reload` as root; as the
// dokku user through `sudo -n` and the whitelist (`systemctl reload nginx`
// when systemd is PID 1).
package nginxvhosts
