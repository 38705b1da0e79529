/**
 * What an operator needs to run CareGate: health probes (liveness, readiness with the database, the schema
 * migrations and the audit store), Prometheus metrics, a request id in every log line and response, management
 * endpoints behind an operator account, and the production safety checks made at start.
 */
package org.caregate.server.operations;
