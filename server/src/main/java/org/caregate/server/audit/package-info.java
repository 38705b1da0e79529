/**
 * The audit trail of the FHIR API (DESIGN.md, "One request's way through", step 6): every request made with a token
 * becomes AuditEvents shaped after IHE Basic Audit Log Patterns, stored in the FHIR database off the request thread;
 * patients find the events about their record with {@code AuditEvent?patient=<id>}; nobody can change or delete one
 * through the API.
 */
package org.caregate.server.audit;
