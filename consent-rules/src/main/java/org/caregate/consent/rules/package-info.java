/**
 * The rules of CareGate's access policy, one class each, and {@link org.caregate.consent.rules.CareGatePolicy}, which
 * composes them into the product policy. Create rules with {@link org.caregate.consent.rules.Rules}; each has a stable
 * machine name ({@code NAME}) that appears in its decisions.
 */
package org.caregate.consent.rules;
