// Command etcd is upstream etcd's server, built from the pinned go.etcd.io/etcd/server/v3 module:
// the local cluster's store. Nothing here but the entry point upstream's own etcd binary uses.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
