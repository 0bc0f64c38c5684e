package natsq

import "testing"

// TestAuthWithEnv takes the user, password and token from the
// environment, and nothing else.
func TestAuthWithEnv(t *testing.T) {
	t.Setenv(EnvUser, "u")
	t.Setenv(EnvPassword, "p")
	t.Setenv(EnvToken, "")
	a := Auth{Token: "from-url", CAFile: "ca.pem"}.WithEnv()
	if want := (Auth{User: "u", Password: "p", CAFile: "ca.pem"}); a != want {
		t.Errorf("got %+v, want %+v", a, want)
	}
}
