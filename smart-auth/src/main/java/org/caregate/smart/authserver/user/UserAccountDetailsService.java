package org.caregate.smart.authserver.user;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The form login's view of the user accounts. A suspended or terminated account is loaded as disabled, so the login
 * is refused. Roles become authorities {@code ROLE_<ROLE>} (e.g. {@code office-staff} gives
 * {@code ROLE_OFFICE_STAFF}), and the kind {@code KIND_<KIND>} (e.g. {@code KIND_PRACTITIONER}).
 *
 * <p>The principal is Spring Security's own {@link User}, because Spring Authorization Server stores the
 * authenticated principal in the authorization (JSON, with an allow-list of types).
 */
public class UserAccountDetailsService implements UserDetailsService {

    private final UserAccountService accounts;

    public UserAccountDetailsService(UserAccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserAccount account = accounts.find(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        String hash = accounts.passwordHash(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String role : account.roles()) {
            authorities.add(new SimpleGrantedAuthority(
                    "ROLE_" + role.toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        authorities.add(new SimpleGrantedAuthority("KIND_" + account.kind().name()));
        return User.withUsername(account.username())
                .password(hash)
                .authorities(authorities)
                .disabled(account.status() == UserStatus.TERMINATED)
                .accountLocked(account.status() == UserStatus.SUSPENDED)
                .build();
    }
}
