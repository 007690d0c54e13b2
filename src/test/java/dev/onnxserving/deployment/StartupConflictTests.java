package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onnxserving.OnnxServingApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Settings that contradict each other stop the start with a failure analysis naming both, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class StartupConflictTests {

    private static void start(String... arguments) {
        String[] all = new String[arguments.length + 3];
        all[0] = "--server.port=0";
        all[1] = "--serving.repository.watch=false";
        all[2] = "--spring.main.banner-mode=off";
        System.arraycopy(arguments, 0, all, 3, arguments.length);
        new SpringApplicationBuilder(OnnxServingApplication.class).run(all).close();
    }

    @Test
    void aDefaultVersionThePinnedVersionsExcludeFailsTheStartNamingBothSettings(CapturedOutput output) {
        assertThatThrownBy(() -> start("--serving.models.iris.versions=1", "--serving.models.iris.default-version=2"))
                .hasRootCauseInstanceOf(DeploymentConflictException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("serving.models.iris.default-version: 2 is a version that serving.models.iris.versions: 1"
                        + " never serves")
                .contains("Change one of the two settings named above");
    }

    @Test
    void aLabelOnAVersionThePolicyExcludesFailsTheStartNamingBothSettings(CapturedOutput output) {
        assertThatThrownBy(() -> start("--serving.models.iris.versions=1,2", "--serving.models.iris.labels.canary=3"))
                .hasRootCauseInstanceOf(DeploymentConflictException.class);

        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("serving.models.iris.labels canary: 3 is a version that serving.models.iris.versions: 1,2");
    }

    @Test
    void aMistypedVersionPolicyFailsTheBindingNamingTheProperty(CapturedOutput output) {
        assertThatThrownBy(() -> start("--serving.models.iris.versions=newest"))
                .hasStackTraceContaining("Could not bind properties to 'ServingProperties'");

        assertThat(output.getOut() + output.getErr())
                .contains("Property: serving.models[iris].versions")
                .contains("Value: \"newest\"")
                .contains("expected 'latest', 'latest:N', 'all' or a list of version numbers");
    }
}
