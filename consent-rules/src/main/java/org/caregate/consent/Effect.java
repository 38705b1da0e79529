package org.caregate.consent;

/** The outcome of a {@link Decision}. */
public enum Effect {
    /** The requester may see the data. */
    PERMIT,
    /** The requester may not see the data. */
    DENY,
    /** The rule has nothing to say about this request; another rule must decide. */
    NOT_APPLICABLE
}
