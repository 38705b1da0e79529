package org.caregate.server.portal;

import org.caregate.smart.authserver.user.UserAccount;
import org.caregate.smart.authserver.user.UserKind;

/**
 * Which portal pages an account's roles open. Decided on the account as stored now (not on the authorities of the
 * login), so a change of role or status counts from the next request.
 */
public final class PortalRoles {

    public static final String CLINICIAN = "clinician";
    public static final String OFFICE_STAFF = "office-staff";
    public static final String SITE_ADMIN = "site-admin";
    /** Hospital IT: registers, reviews, approves and disables the clients (apps and backend services). */
    public static final String CAREGATE_ADMIN = "caregate-admin";
    /** Hospital staff who sponsor community providers' access requests. */
    public static final String HOSPITAL_SPONSOR = "hospital-sponsor";

    private PortalRoles() {}

    /** Practitioners and office staff: the provider portal (patient list, EHR launch). */
    public static boolean isCareStaff(UserAccount account) {
        return account.isActive()
                && account.kind() == UserKind.PRACTITIONER
                && (account.roles().contains(CLINICIAN) || account.roles().contains(OFFICE_STAFF));
    }

    /** Site administrators of an organisation: the staff accounts of that organisation. */
    public static boolean isSiteAdmin(UserAccount account) {
        return account.isActive()
                && account.kind() == UserKind.PRACTITIONER
                && account.organizationId() != null
                && account.roles().contains(SITE_ADMIN);
    }

    /** Hospital sponsors: the access requests naming them ({@code /portal/sponsor}). */
    public static boolean isSponsor(UserAccount account) {
        return account.isActive() && account.roles().contains(HOSPITAL_SPONSOR);
    }

    /** CareGate administrators: the registered clients ({@code /portal/admin/clients}). */
    public static boolean isCareGateAdmin(UserAccount account) {
        return account.isActive() && account.roles().contains(CAREGATE_ADMIN);
    }
}
