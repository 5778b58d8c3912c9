// Package ports is Dokku's ports core plugin: the host-port to
// container-port mappings the proxy serves for an app.
//
// A port map is `scheme:host-port:container-port` (schemes http, https,
// grpc, grpcs, tcp, udp; ports 1..65535). Maps live in properties of the
// `ports` plugin ($DOKKU_LIB_ROOT/config/ports/<app>/):
//
//	map           list, one map per line: set by ports:set/add/remove (user map)
//	map-detected  list: written by builders through ports-set-detected
//
// The proxy ports are properties of the `proxy` plugin (proxy-port,
// proxy-ssl-port; app and --global), initialised by ports-configure.
//
// The effective map (ports-get, ports:list) is the user map when set, else
// the detected map, else `http:<proxy-port>:5000`; when the app has a
// certificate the detected/default map gains `https:<proxy-ssl-port>:<c>`
// for every `http:80:<c>` (or, without an http:80 entry, every http entry
// is served as https).
package ports
