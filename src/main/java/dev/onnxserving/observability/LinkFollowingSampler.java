package dev.onnxserving.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Samples a span without a parent but with links (a batch run, linked to the requests it carried) exactly when one of
 * the spans it links to is sampled, so every sampled request finds its batch and no batch of unsampled requests is
 * recorded; every other span is left to the delegate (Boot's parent-based ratio sampler).
 */
final class LinkFollowingSampler implements Sampler {

    private final Sampler delegate;

    LinkFollowingSampler(Sampler delegate) {
        this.delegate = delegate;
    }

    @Override
    public SamplingResult shouldSample(
            Context parentContext,
            String traceId,
            String name,
            SpanKind spanKind,
            Attributes attributes,
            List<LinkData> parentLinks) {
        if (parentLinks.isEmpty()
                || Span.fromContext(parentContext).getSpanContext().isValid()) {
            return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
        }
        for (LinkData link : parentLinks) {
            if (link.getSpanContext().isSampled()) {
                return SamplingResult.recordAndSample();
            }
        }
        return SamplingResult.drop();
    }

    @Override
    public String getDescription() {
        return "LinkFollowingSampler{" + delegate.getDescription() + "}";
    }
}
