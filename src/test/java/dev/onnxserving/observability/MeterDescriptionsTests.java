package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.onnxserving.observability.PrometheusScrape.Family;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every meter of ours explains itself: a help text in the scrape, and durations in seconds, named so. */
class MeterDescriptionsTests extends HundredVersionsServer {

    @Autowired
    MeterRegistry meters;

    @Test
    void everyServingFamilyHasAHelpText() {
        PrometheusScrape scrape = scrape();

        assertThat(scrape.sampleNames())
                .filteredOn(name -> name.startsWith("serving_"))
                .isNotEmpty();
        for (String name : scrape.sampleNames()) {
            if (name.startsWith("serving_")) {
                Family family = scrape.familyOf(name);
                assertThat(family).as("the family of %s", name).isNotNull();
                assertThat(family.help()).as("# HELP of %s", family.name()).isNotBlank();
            }
        }
    }

    @Test
    void everyServingMeterHasADescriptionAndTimesAreInSeconds() {
        PrometheusScrape scrape = scrape();

        assertThat(meters.getMeters()).filteredOn(this::ours).hasSizeGreaterThan(100);
        for (Meter meter : meters.getMeters()) {
            if (ours(meter)) {
                Meter.Id id = meter.getId();
                assertThat(id.getDescription()).as("description of %s", id).isNotBlank();
                if (id.getType() == Meter.Type.TIMER) {
                    assertThat(id.getBaseUnit()).as("unit of %s", id).isEqualTo("seconds");
                    assertThat(scrape.families())
                            .as("the family of %s names its unit", id)
                            .containsKey(id.getName().replace('.', '_') + "_seconds");
                }
            }
        }
        assertThat(scrape.families().keySet())
                .filteredOn(name -> name.startsWith("serving_"))
                .noneMatch(name -> name.matches(".*_(milliseconds|microseconds|nanoseconds|ms|kilobytes)(_.*)?"));
    }

    @Test
    void docsListEveryServingFamily() throws java.io.IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("docs/observability.md"));

        assertThat(scrape().families().keySet())
                .filteredOn(name -> name.startsWith("serving_") && !name.endsWith("_max"))
                .hasSizeGreaterThan(15)
                .allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }

    private boolean ours(Meter meter) {
        return meter.getId().getName().startsWith("serving.");
    }
}
