package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionOverridesTests {

    private static final List<Long> ON_DISK = List.of(1L, 2L, 3L);

    @Test
    void fallsBackToThePreviousVersionWhenTheNewestIsUnloadedUnderLatest() {
        VersionOverrides overrides = VersionOverrides.NONE.unload(3);
        assertThat(overrides.select(VersionPolicy.LATEST, ON_DISK)).containsExactly(2L);
    }

    @Test
    void servesALoadedVersionBesideWhatThePolicySelects() {
        VersionOverrides overrides = VersionOverrides.NONE.load(1);
        assertThat(overrides.select(VersionPolicy.LATEST, ON_DISK)).containsExactly(1L, 3L);
    }

    @Test
    void loadingAVersionAgainUndoesItsUnload() {
        VersionOverrides overrides = VersionOverrides.NONE.unload(3).load(3);
        assertThat(overrides.select(VersionPolicy.LATEST, ON_DISK)).containsExactly(3L);
    }

    @Test
    void servesNothingOnceTheWholeModelIsUnloaded() {
        assertThat(VersionOverrides.unloadedModel().select(new VersionPolicy.All(), ON_DISK))
                .isEmpty();
    }

    @Test
    void leavesTheOnlyVersionUnservedWhenItIsUnloaded() {
        assertThat(VersionOverrides.NONE.unload(1).select(VersionPolicy.LATEST, List.of(1L)))
                .isEmpty();
    }

    @Test
    void ignoresPinnedVersionsThatAreNotOnDisk() {
        assertThat(VersionOverrides.NONE.load(7).select(VersionPolicy.LATEST, ON_DISK))
                .containsExactly(3L);
    }
}
