// Package events is Dokku's 20_events core plugin: the event log.
//
// Switch: `events:on` writes $DOKKU_ROOT/.dokkurc/DOKKU_EVENTS containing
// `export DOKKU_EVENTS=1`, which the dispatcher sources; `events:off`
// deletes it. While DOKKU_EVENTS is non-empty, every trigger walk that
// passes through this plugin records one line; otherwise the handler
// returns at once (it runs on almost every trigger of every command).
//
// Record: the message is
//
//	INVOKED: <trigger>( <args joined by spaces> ) NAME=<$NAME> FINGERPRINT=<$FINGERPRINT> DOKKU_PID=<$DOKKU_PID>
//
// ($NAME and $FINGERPRINT come from the ssh forced command). Dokku sends it
// with `logger -t dokku-event -i`, and an rsyslog rule copies it into
// $DOKKU_EVENTS_LOGFILE (default /var/log/dokku/events.log). Here the line
// is appended to that file directly, in syslog's traditional file format
//
//	Jan  2 15:04:05 <hostname> dokku-event[<pid>]: <message>
//
// with one O_APPEND write per line, so concurrent dokku processes never
// interleave. It is also sent to the syslog socket ($DOKKU_SYSTEM_ROOT
// prefixed /dev/log) when one exists. When rsyslog is running with the
// rule installed by the install trigger, rsyslog writes the file and the
// direct write is skipped so no line is recorded twice.
package events
