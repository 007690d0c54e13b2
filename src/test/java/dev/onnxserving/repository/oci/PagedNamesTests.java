package dev.onnxserving.repository.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PagedNamesTests {

    private static final URI CURRENT = URI.create("http://127.0.0.1:5000/v2/_catalog?n=2");

    @Test
    void theNextPageIsTheLinkWithRelNextResolvedAgainstTheCurrentPage() {
        assertThat(PagedNames.next(CURRENT, "</v2/_catalog?last=team%2Firis&n=2>; rel=\"next\""))
                .contains(URI.create("http://127.0.0.1:5000/v2/_catalog?last=team%2Firis&n=2"));
        assertThat(PagedNames.next(CURRENT, "<https://r.example/v2/t/tags/list?n=2&last=9>; rel=next"))
                .contains(URI.create("https://r.example/v2/t/tags/list?n=2&last=9"));
    }

    @Test
    void aLinkThatIsNotNextEndsTheList() {
        assertThat(PagedNames.next(CURRENT, "</v2/_catalog?last=a>; rel=\"prev\""))
                .isEmpty();
        assertThat(PagedNames.next(CURRENT, "garbage")).isEmpty();
    }
}
