/**
 * Who may see which patient's data, and why: the facts, the decision and the combinators of CareGate's access policy.
 *
 * <p>The library is plain Java with no dependencies and knows nothing of FHIR, HTTP or Spring. The server turns FHIR
 * resources into facts and decisions into HAPI rules:
 * <ol>
 * <li>build a {@link org.caregate.consent.Requester} for the caller (with their guardianships or care
 * relationships) and a {@link org.caregate.consent.PatientFacts} for each patient of
 * {@link org.caregate.consent.Requester#candidatePatientIds()};</li>
 * <li>ask the policy ({@code org.caregate.consent.rules.CareGatePolicy.standard(options)}) with an
 * {@link org.caregate.consent.AccessRequest} carrying the instant (from the injected {@code Clock}) and the facility
 * time zone;</li>
 * <li>grant access only on {@link org.caregate.consent.Decision#isPermit()}; otherwise show
 * {@link org.caregate.consent.Decision#rule()} and {@link org.caregate.consent.Decision#reason(java.util.Locale)}.</li>
 * </ol>
 * All ids are bare FHIR logical ids ({@code "pat-family-4"}); typed references ({@code "Patient/pat-family-4"}) are
 * rejected.
 */
package org.caregate.consent;
