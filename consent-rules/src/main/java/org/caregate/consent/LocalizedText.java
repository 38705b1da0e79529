package org.caregate.consent;

import java.util.Locale;
import java.util.Objects;

/**
 * A sentence a person can read, in English and Spanish.
 *
 * @param english the English text, a complete sentence (or several)
 * @param spanish the Spanish text, a complete sentence (or several)
 */
public record LocalizedText(String english, String spanish) {

    public LocalizedText {
        requireText(english, "english");
        requireText(spanish, "spanish");
    }

    /** Shorthand for {@code new LocalizedText(english, spanish)}. */
    public static LocalizedText of(String english, String spanish) {
        return new LocalizedText(english, spanish);
    }

    /**
     * The text in the given locale's language: Spanish for any locale whose language is {@code es}
     * (e.g. from {@code Accept-Language: es-MX}), English otherwise (including {@code null}).
     */
    public String in(Locale locale) {
        return locale != null && "es".equals(locale.getLanguage()) ? spanish : english;
    }

    private static void requireText(String text, String what) {
        Objects.requireNonNull(text, what);
        if (text.isBlank()) {
            throw new IllegalArgumentException(what + " text must not be blank");
        }
    }
}
