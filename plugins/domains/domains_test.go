package domains

import "testing"

func TestDomainsValidHostname(t *testing.T) {
	for h, want := range map[string]bool{
		"example.com": true, "EXAMPLE.com": true, "*.example.com": true, "_": true, "a-b.c": true,
		"": false, "bad_name": false, "has space": false, "ends.": false, "x/y": false, "ümlaut.de": false,
	} {
		if ValidHostname(h) != want {
			t.Errorf("%q: want %v", h, want)
		}
	}
}

func TestDomainsIsIP(t *testing.T) {
	for h, want := range map[string]bool{"10.0.0.1": true, "::1": true, "2001:db8::1": true, "dokku.me": false, "1.2.3": false} {
		if isIP(h) != want {
			t.Errorf("%q: want %v", h, want)
		}
	}
}

func TestDomainsFormatURL(t *testing.T) {
	cases := [][4]string{
		{"http", "a.com", "80", "http://a.com"},
		{"https", "a.com", "80", "http://a.com"},
		{"https", "a.com", "443", "https://a.com"},
		{"http", "a.com", "443", "http://a.com:443"},
		{"http", "a.com", "8080", "http://a.com:8080"},
		{"tcp", "a.com", "5432", "tcp://a.com:5432"},
	}
	for _, c := range cases {
		if got := formatURL(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("%v: got %s", c, got)
		}
	}
}
