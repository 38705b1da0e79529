/**
 * The audit trail of the FHIR API (DESIGN.md, "One request's way through", step 6): every request made with a token
 * becomes AuditEvents shaped after IHE Basic Audit Log Patterns, stored in CareGate's own append-only table
 * ({@link org.caregate.server.audit.AuditEventWriter}) before the request is answered, and served read-only as FHIR
 * AuditEvent ({@link org.caregate.server.audit.AuditEventProvider}): patients find the events about their record
 * with {@code AuditEvent?patient=<id>}, site administrators their organisation's with
 * {@code AuditEvent?agent=Organization/<id>}, each seeing only the patients they may see.
 */
package org.caregate.server.audit;
