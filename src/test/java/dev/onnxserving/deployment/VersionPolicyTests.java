package dev.onnxserving.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionPolicyTests {

    private static final List<Long> ON_DISK = List.of(1L, 2L, 3L, 9L, 10L);

    @ParameterizedTest(name = "''{0}'' serves {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "latest     | 10",
                "latest:1   | 10",
                "latest:2   | 9,10",
                "latest:9   | 1,2,3,9,10",
                "all        | 1,2,3,9,10",
                "1,3        | 1,3",
                "' 3 , 1 '  | 1,3",
                "2          | 2",
                "4,10       | 10",
                "7          | ''"
            })
    void selectsVersionsFromThoseOnDisk(String policy, String expected) {
        Set<Long> selected = VersionPolicy.parse(policy).select(ON_DISK);

        List<Long> expectedVersions = expected.isBlank()
                ? List.of()
                : java.util.Arrays.stream(expected.split(","))
                        .map(Long::valueOf)
                        .toList();
        assertThat(selected).containsExactlyElementsOf(expectedVersions);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void absentPolicyMeansLatest(String policy) {
        assertThat(VersionPolicy.parse(policy)).isEqualTo(new VersionPolicy.Latest(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"newest", "latest:0", "latest:x", "01", "1,,2", "-1", "0", "v2", "1.5", "all,1"})
    void rejectsMalformedPoliciesNamingWhatCame(String policy) {
        assertThatThrownBy(() -> VersionPolicy.parse(policy))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(policy.trim().isEmpty() ? "" : "got");
    }

    @ParameterizedTest
    @CsvSource({"latest,latest", "latest:3,latest:3", "all,all", "'3,1',  '1,3'"})
    void printsInTheFormItParses(String policy, String printed) {
        assertThat(VersionPolicy.parse(policy)).hasToString(printed);
    }
}
