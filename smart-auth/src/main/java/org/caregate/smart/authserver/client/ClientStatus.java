package org.caregate.smart.authserver.client;

/**
 * Where a registered client stands in the hospital's review. Only {@link #APPROVED} clients are known to the
 * authorization and token endpoints; the access tokens of {@link #DISABLED} and {@link #DELETED} clients are refused
 * by the FHIR server from the next request on.
 */
public enum ClientStatus {
    /** Registered by a developer (RFC 7591); waits for a CareGate administrator. */
    PENDING,
    APPROVED,
    /** Stopped by an administrator; may be approved again. */
    DISABLED,
    /** Deleted by its developer (RFC 7592, section 2.3); kept so that its tokens stay refused. */
    DELETED
}
