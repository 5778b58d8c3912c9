package plugins

import "testing"

// Every constructor builds the plugin it is registered under, and every
// plugin registers at least a plugin.toml description.
func TestRegistryNamesMatch(t *testing.T) {
	r := Registry()
	all := r.All()
	if len(all) < 20 {
		t.Fatalf("only %d core plugins", len(all))
	}
	for i, p := range all {
		if r.Get(p.Name) != p {
			t.Errorf("%s: Get returns another instance", p.Name)
		}
		if p.Description == "" {
			t.Errorf("%s: no description", p.Name)
		}
		if i > 0 && all[i-1].Name >= p.Name {
			t.Errorf("All is not sorted at %s", p.Name)
		}
	}
	if r.Get("no-such-plugin") != nil || r.Has("no-such-plugin") || !r.Has("apps") {
		t.Error("Has/Get of unknown plugins")
	}
}
