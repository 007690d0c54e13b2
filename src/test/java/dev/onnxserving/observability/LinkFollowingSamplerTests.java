package dev.onnxserving.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkFollowingSamplerTests {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    /**
     * @param parent "none", "sampled" or "unsampled"
     * @param links the sampled flag of each link, e.g. "01"; empty for none
     * @param delegate what the wrapped sampler decides
     */
    @ParameterizedTest(name = "parent {0}, links [{1}], delegate {2} -> {3}")
    @CsvSource({
        "none,      '',   on,  RECORD_AND_SAMPLE",
        "none,      '',   off, DROP",
        "none,      01,   off, RECORD_AND_SAMPLE",
        "none,      1,    off, RECORD_AND_SAMPLE",
        "none,      00,   on,  DROP",
        "sampled,   00,   on,  RECORD_AND_SAMPLE",
        "unsampled, 11,   off, DROP",
    })
    void aRootSpanWithLinksFollowsThemAndEveryOtherSpanTheDelegate(
            String parent, String links, String delegate, SamplingDecision expected) {
        Sampler sampler = new LinkFollowingSampler(delegate.equals("on") ? Sampler.alwaysOn() : Sampler.alwaysOff());
        Context context = switch (parent) {
            case "none" -> Context.root();
            default -> Context.root().with(Span.wrap(spanContext(parent.equals("sampled"))));
        };
        List<LinkData> linkData = links.chars()
                .mapToObj(flag -> LinkData.create(spanContext(flag == '1')))
                .toList();

        assertThat(sampler.shouldSample(
                                context, TRACE_ID, "serving.batch", SpanKind.INTERNAL, Attributes.empty(), linkData)
                        .getDecision())
                .isEqualTo(expected);
    }

    private static SpanContext spanContext(boolean sampled) {
        return SpanContext.create(
                TRACE_ID,
                "00f067aa0ba902b7",
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault());
    }
}
