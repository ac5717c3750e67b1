package dev.corral.operator;

import dev.corral.operator.reconciler.WebAppReconciler;
import io.javaoperatorsdk.operator.Operator;

/** Runs the operator against the current kubeconfig (or the in-cluster service account). */
public final class CorralOperator {
    private CorralOperator() {
    }

    public static void main(String[] args) {
        Operator operator = new Operator();
        operator.register(new WebAppReconciler());
        operator.start();
    }
}
