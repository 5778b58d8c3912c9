package env

import (
	"os"
	"strconv"
	"strings"
)

// UserHome returns a user's home directory from /etc/passwd (no cgo), or
// /home/<user> when the user does not exist.
func UserHome(user string) string { return homeOf(user) }

// CurrentUser returns the name of the effective user, from /etc/passwd,
// falling back to $USER and then the numeric uid.
func CurrentUser() string {
	uid := strconv.Itoa(os.Geteuid())
	if data, err := passwdFile(); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) > 2 && f[2] == uid {
				return f[0]
			}
		}
	}
	if u := os.Getenv("USER"); u != "" && os.Geteuid() != 0 {
		return u
	}
	return uid
}

// LookupIDs returns the uid of user and gid of group from /etc/passwd and
// /etc/group; ok is false when either is missing.
func LookupIDs(user, group string) (uid, gid int, ok bool) {
	uidS := passwdField(user, 2)
	gidS := groupGID(group)
	if uidS == "" || gidS == "" {
		return 0, 0, false
	}
	u, err1 := strconv.Atoi(uidS)
	g, err2 := strconv.Atoi(gidS)
	return u, g, err1 == nil && err2 == nil
}

func groupGID(group string) string {
	data, err := os.ReadFile("/etc/group")
	if err != nil {
		return ""
	}
	prefix := group + ":"
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			f := strings.Split(line, ":")
			if len(f) > 2 {
				return f[2]
			}
		}
	}
	return ""
}

// Owner returns the uid/gid of DOKKU_SYSTEM_USER:DOKKU_SYSTEM_GROUP when the
// process runs as root (files it writes must belong to dokku), else ok=false.
func (e *Env) Owner() (uid, gid int, ok bool) {
	if os.Geteuid() != 0 {
		return 0, 0, false
	}
	return LookupIDs(e.SystemUser(), e.SystemGroup())
}
