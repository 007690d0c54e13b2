package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTests {

    @Test
    void aBearerChallengeKeepsCommasInsideQuotedValues() {
        Challenge challenge = Challenge.select(
                        List.of("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
                                + "scope=\"repository:team/iris:pull,push\""))
                .orElseThrow();

        assertThat(challenge.isBearer()).isTrue();
        assertThat(challenge.parameters())
                .isEqualTo(Map.of(
                        "realm", "https://auth.example/token",
                        "service", "registry.example",
                        "scope", "repository:team/iris:pull,push"));
    }

    @Test
    void bearerIsPreferredOverBasicInOneHeaderOrAcrossHeaders() {
        assertThat(Challenge.select(List.of("Basic realm=\"r\", Bearer realm=\"https://a/t\""))
                        .orElseThrow()
                        .parameter("realm"))
                .contains("https://a/t");
        assertThat(Challenge.select(List.of("Basic realm=\"registry\"", "Bearer realm=https://a/t"))
                        .orElseThrow()
                        .isBearer())
                .isTrue();
    }

    @Test
    void aBasicChallengeAloneIsBasicAndUnknownSchemesAreNotSelected() {
        assertThat(Challenge.select(List.of("basic realm=\"Registry Realm\"")).orElseThrow())
                .isEqualTo(new Challenge("basic", Map.of("realm", "Registry Realm")));
        assertThat(Challenge.select(List.of("Negotiate abc"))).isEmpty();
        assertThat(Challenge.select(List.of())).isEmpty();
    }

    @Test
    void escapedQuotesAreUnescaped() {
        assertThat(Challenge.parse("Bearer realm=\"a\\\"b\"").get(0).parameter("realm"))
                .contains("a\"b");
    }
}
