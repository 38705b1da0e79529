package org.caregate.server.portal.admin;

import org.caregate.server.portal.PortalRoles;

/**
 * The "add a staff member" form, as typed: {@link StaffAccounts#add} checks every field.
 *
 * @param username       the login name
 * @param displayName    the name shown on pages
 * @param practitionerId the id of the staff member's Practitioner, which must hold an active PractitionerRole at the
 *                       administrator's organisation
 * @param role           {@code clinician} or {@code office-staff}
 * @param password       the initial password the administrator types, at least
 *                       {@value StaffAccounts#MIN_PASSWORD_LENGTH} characters
 */
public record NewStaffMember(String username, String displayName, String practitionerId, String role, String password) {

    static NewStaffMember empty() {
        return new NewStaffMember("", "", "", PortalRoles.CLINICIAN, "");
    }

    /** The same entries without the password, to show the form again. */
    NewStaffMember withoutPassword() {
        return new NewStaffMember(username, displayName, practitionerId, role, "");
    }
}
