/**
 * What a FHIR request may bring, and how its faults are answered: bounds on parameters and bodies, strict parsing of
 * JSON and XML, and every fault of the client's input a 400 with an OperationOutcome that says what is wrong,
 * never a 500 and never SQL or Java internals.
 */
package org.caregate.server.fhir.input;
