// Command load is the in-cluster client of the user-path suite: it sends GET requests to a URL, one
// at a time, for a bounded time, and prints "ok=N fail=M" (a failure is a transport error or a status
// other than 200), so a rollout seen through the Service can be judged by what clients got.
//
//	load URL SECONDS
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: load URL SECONDS")
		os.Exit(64)
	}
	seconds, err := strconv.Atoi(os.Args[2])
	if err != nil || seconds < 1 || seconds > 600 {
		fmt.Fprintln(os.Stderr, "SECONDS must be 1 to 600")
		os.Exit(64)
	}
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	ok, fail := 0, 0
	for time.Now().Before(deadline) {
		resp, err := client.Get(os.Args[1])
		if err != nil {
			fail++
			fmt.Fprintf(os.Stderr, "load: %v\n", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			ok++
		} else {
			fail++
			fmt.Fprintf(os.Stderr, "load: status %d\n", resp.StatusCode)
		}
	}
	fmt.Printf("ok=%d fail=%d\n", ok, fail)
}
