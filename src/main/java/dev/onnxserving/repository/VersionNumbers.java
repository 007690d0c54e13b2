package dev.onnxserving.repository;

import java.util.regex.Pattern;

/** The rule for version folder names: a positive integer without leading zeros ("10" is newer than "9"). */
public final class VersionNumbers {

    private static final Pattern VALID = Pattern.compile("[1-9][0-9]{0,17}");

    private VersionNumbers() {}

    public static boolean isValid(String text) {
        return text != null && VALID.matcher(text).matches();
    }
}
