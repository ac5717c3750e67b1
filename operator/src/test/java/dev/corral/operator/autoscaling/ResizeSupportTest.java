package dev.corral.operator.autoscaling;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** In-place resize is found by discovery, as the API server lists its subresources. */
class ResizeSupportTest {
    @Test
    void theCoreGroupListingPodsResizeSupportsIt() {
        var core = new APIResourceListBuilder().withGroupVersion("v1").addToResources(
                new APIResourceBuilder().withName("pods").withKind("Pod").build(),
                new APIResourceBuilder().withName("pods/resize").withKind("Pod").build(),
                new APIResourceBuilder().withName("pods/status").withKind("Pod").build()).build();
        assertThat(ResizeSupport.listsResize(core)).isTrue();
    }

    @Test
    void aClusterWithoutTheSubresourceDoesNotWhateverItsVersion() {
        // As a 1.32 API server (or 1.33+ with InPlacePodVerticalScaling off) lists the core group.
        var core = new APIResourceListBuilder().withGroupVersion("v1").addToResources(
                new APIResourceBuilder().withName("pods").withKind("Pod").build(),
                new APIResourceBuilder().withName("pods/eviction").withKind("Eviction").build(),
                new APIResourceBuilder().withName("pods/status").withKind("Pod").build()).build();
        assertThat(ResizeSupport.listsResize(core)).isFalse();
        assertThat(ResizeSupport.listsResize(null)).isFalse();
    }
}
