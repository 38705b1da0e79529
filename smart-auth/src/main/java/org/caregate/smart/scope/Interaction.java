package org.caregate.smart.scope;

import java.util.Optional;

/**
 * A SMART v2 permission: one letter of {@code cruds}.
 *
 * <p>SMART App Launch 2.2, "Scopes for requesting clinical data": {@code c} create, {@code r} read (including
 * vread and history of one instance), {@code u} update, {@code d} delete, {@code s} search (including history
 * of a type). The enum's order is the order the letters must appear in.
 */
public enum Interaction {
    CREATE('c'),
    READ('r'),
    UPDATE('u'),
    DELETE('d'),
    SEARCH('s');

    private final char letter;

    Interaction(char letter) {
        this.letter = letter;
    }

    /** The permission letter: one of {@code c r u d s}. */
    public char letter() {
        return letter;
    }

    /** The interaction whose letter is {@code letter}, if any. */
    public static Optional<Interaction> fromLetter(char letter) {
        for (Interaction interaction : values()) {
            if (interaction.letter == letter) {
                return Optional.of(interaction);
            }
        }
        return Optional.empty();
    }
}
