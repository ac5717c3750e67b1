// Two static programs the local cluster's images are made of: the pod sandbox ("pause") and a
// one-shot pod for the smoke test. No registry is reachable here, so both are built locally.
module dev.corral/e2e/cluster/tiny

go 1.24.0
