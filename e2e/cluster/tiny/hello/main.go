// Command hello is the smoke test's pod: it prints what it sees of its pod and exits 0, so a
// completed pod proves the node ran a container end to end (sandbox, network, service-account mount).
package main

import (
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	host, _ := os.Hostname()
	fmt.Printf("corral-smoke: hello from %s\n", host)
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		fmt.Printf("corral-smoke: address %s\n", a)
	}
	if _, err := os.Stat("/var/run/secrets/kubernetes.io/serviceaccount/token"); err == nil {
		fmt.Println("corral-smoke: service-account token mounted")
	}
	service := net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
	fmt.Printf("corral-smoke: kubernetes service at %s\n", service)
	// Through kube-proxy's rules to the API server: proves Services route on this node.
	if conn, err := net.DialTimeout("tcp", service, 5*time.Second); err == nil {
		conn.Close()
		fmt.Println("corral-smoke: kubernetes service reachable")
	} else {
		fmt.Printf("corral-smoke: kubernetes service unreachable: %v\n", err)
	}
}
