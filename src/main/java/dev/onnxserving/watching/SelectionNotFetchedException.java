package dev.onnxserving.watching;

/**
 * A changed configuration file selects versions of a serving model that its source has not delivered into the cache
 * (the source is down, or the version failed its digest check). The file is held: the versions serving stay, and the
 * file is tried again on the next look, once the source's back-off allows another sync.
 */
final class SelectionNotFetchedException extends RuntimeException {

    SelectionNotFetchedException(String message) {
        super(message);
    }
}
