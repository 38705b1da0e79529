package org.caregate.smart.authserver.authentication;

import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;

/**
 * Records each approval (in {@code oauth2_authorization_consent}, through SAS's JDBC service) but never offers a
 * past one back to SAS.
 *
 * <p>Why: SMART asks the user every time (a standalone launch needs a patient to be picked each time), and SAS adds
 * every scope approved in the past to a new approval, so a scope the user deselects today would be granted anyway.
 * With {@link #findById} answering {@code null}, SAS always shows the approval page and grants exactly the scopes
 * ticked on it. {@link #findRecorded} gives the last approval, e.g. to pre-tick the boxes.
 */
public final class SmartAuthorizationConsentService implements OAuth2AuthorizationConsentService {

    private final OAuth2AuthorizationConsentService records;
    private final java.util.function.Consumer<OAuth2AuthorizationConsent> onApproval;

    public SmartAuthorizationConsentService(OAuth2AuthorizationConsentService records) {
        this(records, consent -> {});
    }

    /** {@code onApproval} is told of every approval (for the audit trail). */
    public SmartAuthorizationConsentService(
            OAuth2AuthorizationConsentService records,
            java.util.function.Consumer<OAuth2AuthorizationConsent> onApproval) {
        this.records = records;
        this.onApproval = onApproval;
    }

    @Override
    public void save(OAuth2AuthorizationConsent consent) {
        records.save(consent);
        onApproval.accept(consent);
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        records.remove(consent);
    }

    /** Always {@code null}: see the class comment. */
    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return null;
    }

    /** The approval last recorded for this client and user, if any. */
    public OAuth2AuthorizationConsent findRecorded(String registeredClientId, String principalName) {
        return records.findById(registeredClientId, principalName);
    }
}
