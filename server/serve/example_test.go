package serve_test

import (
	"fmt"

	"github.com/parley-dev/parley/server/serve"
)

// A server on loopback needs no admin token unless given one; on any
// other address it makes one up and announces it.
func ExampleAdminToken() {
	tok, err := serve.AdminToken("127.0.0.1:8080", "", nil)
	fmt.Printf("loopback: %q %v\n", tok, err)
	tok, err = serve.AdminToken("0.0.0.0:8080", "", func(host, tok string) {
		fmt.Printf("announced for %s: %d hex digits\n", host, len(tok))
	})
	fmt.Println(len(tok), err)
	_, err = serve.AdminToken("8080", "", nil)
	fmt.Println(err)
	// Output:
	// loopback: "" <nil>
	// announced for 0.0.0.0: 48 hex digits
	// 48 <nil>
	// Addr "8080": address 8080: missing port in address
}
