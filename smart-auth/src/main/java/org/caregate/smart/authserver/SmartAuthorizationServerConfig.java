package org.caregate.smart.authserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.caregate.smart.authserver.account.AccountAuthorizations;
import org.caregate.smart.authserver.account.AccountCodes;
import org.caregate.smart.authserver.account.AccountEvent;
import org.caregate.smart.authserver.account.AccountMail;
import org.caregate.smart.authserver.account.AccountProperties;
import org.caregate.smart.authserver.account.LockoutAuthenticationProvider;
import org.caregate.smart.authserver.account.LoginAttempts;
import org.caregate.smart.authserver.account.LoginLockedException;
import org.caregate.smart.authserver.account.MfaLogin;
import org.caregate.smart.authserver.account.PasswordRules;
import org.caregate.smart.authserver.account.SessionGuardFilter;
import org.caregate.smart.authserver.authentication.AuthorizationErrorResponseHandler;
import org.caregate.smart.authserver.authentication.ClientAssertionAuthenticationConverter;
import org.caregate.smart.authserver.authentication.PublicClientAuthenticationConverter;
import org.caregate.smart.authserver.authentication.PublicClientAuthenticationProvider;
import org.caregate.smart.authserver.authentication.SmartAuthorizationConsentService;
import org.caregate.smart.authserver.authentication.SmartAuthorizationRequestValidators;
import org.caregate.smart.authserver.authentication.SmartClientCredentialsValidators;
import org.caregate.smart.authserver.client.ClientAssertionReplayGuard;
import org.caregate.smart.authserver.client.ClientRegistry;
import org.caregate.smart.authserver.client.ExampleClients;
import org.caregate.smart.authserver.client.SmartClientAssertionDecoderFactory;
import org.caregate.smart.authserver.context.LaunchContextService;
import org.caregate.smart.authserver.context.PatientAccessDirectory;
import org.caregate.smart.authserver.discovery.AdvertisedMetadata;
import org.caregate.smart.authserver.discovery.SmartConfiguration;
import org.caregate.smart.authserver.discovery.SmartConfigurationFilter;
import org.caregate.smart.authserver.key.SigningKeyStore;
import org.caregate.smart.authserver.registration.ClientRegistrar;
import org.caregate.smart.authserver.registration.InitialAccessTokens;
import org.caregate.smart.authserver.registration.RegistrationController;
import org.caregate.smart.authserver.storage.SmartAuthDatabase;
import org.caregate.smart.authserver.throttle.AddressThrottle;
import org.caregate.smart.authserver.throttle.AddressThrottleFilter;
import org.caregate.smart.authserver.throttle.ThrottleProperties;
import org.caregate.smart.authserver.token.AccessTokenDecoders;
import org.caregate.smart.authserver.token.RevocationRecordingAuthorizationService;
import org.caregate.smart.authserver.token.RevocationResponseHandler;
import org.caregate.smart.authserver.token.RevokedAccessTokens;
import org.caregate.smart.authserver.token.SmartClaimNames;
import org.caregate.smart.authserver.token.SmartRefreshTokenGenerator;
import org.caregate.smart.authserver.token.SmartTokenCustomizer;
import org.caregate.smart.authserver.token.SmartTokenResponseHandler;
import org.caregate.smart.authserver.user.UserAccountDetailsService;
import org.caregate.smart.authserver.user.UserAccountService;
import org.caregate.smart.authserver.web.AuthorizationApprovalController;
import org.caregate.smart.authserver.web.AuthorizePostRequestFilter;
import org.caregate.smart.authserver.web.LanguageConfig;
import org.caregate.smart.authserver.web.LanguageLinksAdvice;
import org.caregate.smart.authserver.web.LoginController;
import org.caregate.smart.authserver.web.MfaController;
import org.caregate.smart.authserver.web.PasswordResetController;
import org.caregate.smart.authserver.web.SmartStyleController;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.oidc.OidcUserInfo;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configurers.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.ExceptionMappingAuthenticationFailureHandler;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.AntPathRequestMatcher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The SMART App Launch 2.2 authorization server, on Spring Authorization Server 1.4. The server module imports this
 * class ({@code @Import(SmartAuthorizationServerConfig.class)}); everything it needs is declared or imported here.
 *
 * <p>The server provides: one {@link DataSource} (PostgreSQL; the tables go to schema {@code smart_auth}, migrated by
 * the Flyway bean declared here, which also keeps Boot's own Flyway off {@code public}), and one
 * {@link PatientAccessDirectory}. Optionally a {@link Clock} bean (else the system UTC clock).
 *
 * <p>Two filter chains, both limited to the authorization server's paths so the server can add its own for
 * {@code /fhir/**} and {@code /portal/**}:
 * <ol>
 *   <li>order {@link #AUTHORIZATION_SERVER_CHAIN_ORDER}: SAS's protocol endpoints (authorize, token, introspect,
 *       revoke, jwks, userinfo, OIDC and RFC 8414 discovery);</li>
 *   <li>order {@link #AUTH_PAGES_CHAIN_ORDER}: the rest of {@code /auth/**} (login form, patient picker, approval
 *       page, logout, style) and CORS preflights of the discovery documents.</li>
 * </ol>
 * The {@code /fhir/.well-known/smart-configuration} document is served by a servlet filter registered for that path
 * only ({@link SmartConfigurationFilter}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties({SmartAuthProperties.class, AccountProperties.class, ThrottleProperties.class})
@Import({
    LoginController.class,
    AuthorizationApprovalController.class,
    SmartStyleController.class,
    RegistrationController.class,
    PasswordResetController.class,
    MfaController.class,
    LanguageConfig.class,
    LanguageLinksAdvice.class
})
public class SmartAuthorizationServerConfig {

    /** The login page; the server's {@code /portal/**} chain sends unauthenticated browsers here. */
    public static final String LOGIN_PAGE = SmartAuthPaths.LOGIN;

    /** Order of the protocol-endpoint chain; the server's chains should come after {@link #AUTH_PAGES_CHAIN_ORDER}. */
    public static final int AUTHORIZATION_SERVER_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    public static final int AUTH_PAGES_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 11;
    /** The registration API's chain, before the pages' chain that covers the rest of {@code /auth/**}. */
    public static final int REGISTRATION_CHAIN_ORDER = Ordered.HIGHEST_PRECEDENCE + 9;

    private static final PasswordEncoder PASSWORD_ENCODER = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    // ----- configuration -----

    @Bean
    SmartAuthUrls smartAuthUrls(Environment environment) {
        return new SmartAuthUrls(
                environment.getProperty("caregate.public-base-url", SmartAuthUrls.DEFAULT_PUBLIC_BASE_URL));
    }

    @Bean
    AuthorizationServerSettings smartAuthorizationServerSettings(SmartAuthUrls urls) {
        return AuthorizationServerSettings.builder()
                .issuer(urls.issuer())
                .authorizationEndpoint(SmartAuthPaths.AUTHORIZE)
                .tokenEndpoint(SmartAuthPaths.TOKEN)
                .tokenIntrospectionEndpoint(SmartAuthPaths.INTROSPECT)
                .tokenRevocationEndpoint(SmartAuthPaths.REVOKE)
                .jwkSetEndpoint(SmartAuthPaths.JWKS)
                .oidcUserInfoEndpoint(SmartAuthPaths.USERINFO)
                .oidcLogoutEndpoint(SmartAuthPaths.OIDC_LOGOUT)
                .oidcClientRegistrationEndpoint(SmartAuthPaths.OIDC_CLIENT_REGISTRATION)
                .deviceAuthorizationEndpoint(SmartAuthPaths.DEVICE_AUTHORIZATION)
                .deviceVerificationEndpoint(SmartAuthPaths.DEVICE_VERIFICATION)
                .build();
    }

    // ----- storage -----

    /** Flyway for schema {@code smart_auth} only. Declaring it also keeps Boot's default Flyway off {@code public}. */
    @Bean
    Flyway smartAuthFlyway(DataSource dataSource) {
        return SmartAuthDatabase.flyway(dataSource);
    }

    @Bean
    SmartAuthDatabase smartAuthDatabase(Flyway smartAuthFlyway, DataSource dataSource) {
        return SmartAuthDatabase.migrate(smartAuthFlyway, dataSource);
    }

    @Bean
    RegisteredClientRepository smartRegisteredClientRepository(SmartAuthDatabase database) {
        return new JdbcRegisteredClientRepository(database.jdbc());
    }

    @Bean
    OAuth2AuthorizationService smartAuthorizationService(
            SmartAuthDatabase database,
            RegisteredClientRepository smartRegisteredClientRepository,
            RevokedAccessTokens revokedAccessTokens) {
        return new RevocationRecordingAuthorizationService(
                new JdbcOAuth2AuthorizationService(database.jdbc(), smartRegisteredClientRepository),
                revokedAccessTokens);
    }

    @Bean
    SmartAuthorizationConsentService smartAuthorizationConsentService(
            SmartAuthDatabase database,
            RegisteredClientRepository smartRegisteredClientRepository,
            ApplicationEventPublisher events,
            ObjectProvider<Clock> clock) {
        Clock now = clock(clock);
        return new SmartAuthorizationConsentService(
                new JdbcOAuth2AuthorizationConsentService(database.jdbc(), smartRegisteredClientRepository),
                consent -> {
                    var client = smartRegisteredClientRepository.findById(consent.getRegisteredClientId());
                    events.publishEvent(AccountEvent.of(
                            AccountEvent.Type.APP_APPROVED,
                            consent.getPrincipalName(),
                            null,
                            client == null ? consent.getRegisteredClientId() : client.getClientId(),
                            now.instant()));
                });
    }

    // ----- services the server calls -----

    @Bean
    public UserAccountService userAccountService(SmartAuthDatabase database, ObjectProvider<Clock> clock) {
        return new UserAccountService(database.jdbc(), PASSWORD_ENCODER, clock(clock));
    }

    /** The form login's user store; the server's {@code /portal/**} chain may use it too. */
    @Bean
    public UserDetailsService smartAuthUserDetailsService(UserAccountService userAccountService) {
        return new UserAccountDetailsService(userAccountService);
    }

    /** Failed sign-ins and lockout, by user name. */
    @Bean
    public LoginAttempts loginAttempts(
            SmartAuthDatabase database, ObjectProvider<Clock> clock, AccountProperties accountProperties) {
        return new LoginAttempts(
                database.jdbc(),
                clock(clock),
                accountProperties.maxFailedLogins(),
                accountProperties.lockoutDuration());
    }

    /** One-time codes: activation codes, guardian invitations, password-reset links. */
    @Bean
    public AccountCodes accountCodes(SmartAuthDatabase database, ObjectProvider<Clock> clock) {
        return new AccountCodes(database.jdbc(), clock(clock));
    }

    /** The apps a person has allowed, and revoking them (connected apps page, involuntary termination). */
    @Bean
    public AccountAuthorizations accountAuthorizations(
            SmartAuthDatabase database,
            OAuth2AuthorizationService smartAuthorizationService,
            RevokedAccessTokens revokedAccessTokens,
            ObjectProvider<Clock> clock,
            ApplicationEventPublisher events) {
        return new AccountAuthorizations(
                database.jdbc(), smartAuthorizationService, revokedAccessTokens, clock(clock), events);
    }

    /** E-mails about accounts, over SMTP ({@code spring.mail.*}), in the reader's language. */
    @Bean
    public AccountMail accountMail(
            ObjectProvider<JavaMailSender> mailSender,
            MessageSource messageSource,
            AccountProperties accountProperties) {
        return new AccountMail(mailSender, messageSource, accountProperties.mailFrom());
    }

    @Bean
    public PasswordRules passwordRules(AccountProperties accountProperties) {
        return new PasswordRules(accountProperties.minPasswordLength());
    }

    @Bean
    public MfaLogin mfaLogin(
            UserAccountService userAccountService, ObjectProvider<Clock> clock, AccountProperties accountProperties) {
        return new MfaLogin(userAccountService, clock(clock), accountProperties.mfaRequiredKinds());
    }

    @Bean
    public LaunchContextService launchContextService(
            SmartAuthDatabase database, ObjectProvider<Clock> clock, SmartAuthProperties properties) {
        return new LaunchContextService(database.jdbc(), clock(clock), properties.launchContextTimeToLive());
    }

    /** Revocation check for the FHIR server: {@code isRevoked(jti)}, an in-memory look-up (see the class). */
    @Bean
    public RevokedAccessTokens revokedAccessTokens(
            SmartAuthDatabase database, ObjectProvider<Clock> clock, SmartAuthProperties properties) {
        return new RevokedAccessTokens(database.jdbc(), clock(clock), properties.revocationCacheRefresh());
    }

    /** The signing keys, a {@code JWKSource}; the FHIR server's token validator verifies with it (no HTTP call). */
    @Bean
    public SigningKeyStore signingKeyStore(
            SmartAuthDatabase database, ObjectProvider<Clock> clock, SmartAuthProperties properties) {
        Duration longestToken = max(properties.accessTokenTimeToLive(), Duration.ofMinutes(30));
        SigningKeyStore store = new SigningKeyStore(
                database.jdbc(),
                clock(clock),
                properties.signingKeyRotation(),
                longestToken.plus(Duration.ofMinutes(10)),
                properties.keyCacheRefresh());
        store.initialize();
        return store;
    }

    @Bean
    ClientAssertionReplayGuard clientAssertionReplayGuard(SmartAuthDatabase database, ObjectProvider<Clock> clock) {
        return new ClientAssertionReplayGuard(database.jdbc(), clock(clock));
    }

    /** Every registered client and its review status; approving and disabling go through it. */
    @Bean
    public ClientRegistry clientRegistry(
            SmartAuthDatabase database,
            RegisteredClientRepository smartRegisteredClientRepository,
            RevokedAccessTokens revokedAccessTokens,
            ObjectProvider<Clock> clock,
            OAuth2AuthorizationService smartAuthorizationService) {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(
                Objects.requireNonNull(database.jdbc().getDataSource())));
        return new ClientRegistry(
                database.jdbc(),
                smartRegisteredClientRepository,
                revokedAccessTokens,
                clock(clock),
                transactions,
                smartAuthorizationService);
    }

    /** Registration of clients by developers (RFC 7591) and on the administration page. */
    @Bean
    public ClientRegistrar clientRegistrar(
            ClientRegistry clientRegistry, SmartAuthProperties properties, ObjectProvider<Clock> clock) {
        return new ClientRegistrar(clientRegistry, PASSWORD_ENCODER, properties, clock(clock));
    }

    /** RFC 7591 initial access tokens, issued by administrators. */
    @Bean
    public InitialAccessTokens initialAccessTokens(
            SmartAuthDatabase database, SmartAuthProperties properties, ObjectProvider<Clock> clock) {
        return new InitialAccessTokens(database.jdbc(), clock(clock), properties.initialAccessTokenTimeToLive());
    }

    @Bean
    ExampleClients exampleClients(
            RegisteredClientRepository smartRegisteredClientRepository,
            ClientRegistry clientRegistry,
            SmartAuthProperties properties,
            SmartAuthUrls urls,
            Environment environment,
            ObjectProvider<Clock> clock) {
        ExampleClients clients = new ExampleClients(
                smartRegisteredClientRepository,
                clientRegistry,
                PASSWORD_ENCODER,
                properties,
                urls,
                Path.of(environment.getProperty("caregate.data-dir", "./data")),
                clock(clock));
        if (properties.registerExampleClients()) {
            clients.registerMissing();
        }
        return clients;
    }

    // ----- discovery -----

    @Bean
    public SmartConfiguration smartConfiguration(SmartAuthUrls urls) {
        return new SmartConfiguration(urls, new ObjectMapper());
    }

    @Bean
    FilterRegistrationBean<SmartConfigurationFilter> smartConfigurationFilterRegistration(
            SmartConfiguration smartConfiguration) {
        FilterRegistrationBean<SmartConfigurationFilter> registration =
                new FilterRegistrationBean<>(new SmartConfigurationFilter(smartConfiguration));
        registration.addUrlPatterns(SmartAuthPaths.SMART_CONFIGURATION);
        registration.setName("smartConfigurationFilter");
        // Before Spring Security's filter (-100), so no chain of the server's /fhir/** can ask for a token here.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    // ----- brute-force protection -----

    @Bean
    AddressThrottle addressThrottle(ObjectProvider<Clock> clock, ThrottleProperties throttleProperties) {
        return new AddressThrottle(clock(clock), throttleProperties);
    }

    @Bean
    FilterRegistrationBean<AddressThrottleFilter> addressThrottleFilterRegistration(AddressThrottle addressThrottle) {
        FilterRegistrationBean<AddressThrottleFilter> registration =
                new FilterRegistrationBean<>(new AddressThrottleFilter(addressThrottle));
        registration.addUrlPatterns(SmartAuthPaths.PREFIX + "/*");
        registration.setName("addressThrottleFilter");
        // before Spring Security's filter (-100): a throttled address gets no password or client check at all
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 6);
        return registration;
    }

    // ----- filter chains -----

    @Bean
    @Order(AUTHORIZATION_SERVER_CHAIN_ORDER)
    SecurityFilterChain smartAuthorizationServerFilterChain(
            HttpSecurity http,
            SmartAuthUrls urls,
            SmartAuthProperties properties,
            AuthorizationServerSettings settings,
            RegisteredClientRepository smartRegisteredClientRepository,
            OAuth2AuthorizationService smartAuthorizationService,
            SmartAuthorizationConsentService smartAuthorizationConsentService,
            SigningKeyStore signingKeyStore,
            UserAccountService users,
            PatientAccessDirectory directory,
            LaunchContextService launchContexts,
            RevokedAccessTokens revokedAccessTokens,
            ClientAssertionReplayGuard replayGuard,
            ObjectProvider<Clock> clockProvider,
            ExampleClients exampleClients,
            ClientRegistry clientRegistry,
            AccountProperties accountProperties)
            throws Exception {
        // the endpoints know approved clients only (pending, disabled and deleted ones are invalid_client)
        RegisteredClientRepository approvedClients = clientRegistry.approvedClients();
        String registrationEndpoint = urls.url(SmartAuthPaths.REGISTER);
        Clock clock = clock(clockProvider);
        JwtDecoder accessTokenDecoder =
                AccessTokenDecoders.create(signingKeyStore, urls.issuer(), urls.fhirBaseUrl(), clock);
        OAuth2TokenGenerator<?> tokenGenerator = tokenGenerator(urls, signingKeyStore, users, directory, clock);
        SmartClientAssertionDecoderFactory assertionDecoders =
                new SmartClientAssertionDecoderFactory(urls.tokenEndpoint(), replayGuard, clock);

        OAuth2AuthorizationServerConfigurer authorizationServer =
                OAuth2AuthorizationServerConfigurer.authorizationServer();
        http.setSharedObject(com.nimbusds.jose.jwk.source.JWKSource.class, signingKeyStore);
        http.securityMatcher(authorizationServer.getEndpointsMatcher())
                .with(
                        authorizationServer,
                        server -> server.registeredClientRepository(approvedClients)
                                .authorizationService(smartAuthorizationService)
                                .authorizationConsentService(smartAuthorizationConsentService)
                                .authorizationServerSettings(settings)
                                .tokenGenerator(tokenGenerator)
                                .authorizationServerMetadataEndpoint(
                                        metadata -> metadata.authorizationServerMetadataCustomizer(builder ->
                                                builder.claims(AdvertisedMetadata.customizer(registrationEndpoint))))
                                .clientAuthentication(clientAuthentication -> clientAuthentication
                                        .authenticationConverter(new ClientAssertionAuthenticationConverter())
                                        .authenticationConverter(
                                                new PublicClientAuthenticationConverter(SmartAuthPaths.REVOKE))
                                        .authenticationProvider(new PublicClientAuthenticationProvider(approvedClients))
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof JwtClientAssertionAuthenticationProvider assertions) {
                                                assertions.setJwtDecoderFactory(assertionDecoders);
                                            }
                                        })))
                                .authorizationEndpoint(authorization -> authorization
                                        .consentPage(SmartAuthPaths.CONSENT)
                                        .errorResponseHandler(new AuthorizationErrorResponseHandler(clientRegistry))
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof
                                                    OAuth2AuthorizationCodeRequestAuthenticationProvider requests) {
                                                requests.setAuthenticationValidator(
                                                        SmartAuthorizationRequestValidators.smartDefaults(
                                                                urls.fhirBaseUrl(), launchContexts));
                                                // SMART asks every time: a standalone launch needs its patient picked.
                                                requests.setAuthorizationConsentRequired(context -> true);
                                            }
                                        })))
                                .tokenEndpoint(token -> token.accessTokenResponseHandler(
                                                new SmartTokenResponseHandler(urls))
                                        .authenticationProviders(providers -> providers.forEach(provider -> {
                                            if (provider
                                                    instanceof
                                                    OAuth2ClientCredentialsAuthenticationProvider clientCredentials) {
                                                clientCredentials.setAuthenticationValidator(
                                                        SmartClientCredentialsValidators.systemScopes());
                                            }
                                        })))
                                .tokenRevocationEndpoint(revocation ->
                                        revocation.revocationResponseHandler(new RevocationResponseHandler(
                                                smartAuthorizationService, accessTokenDecoder, revokedAccessTokens)))
                                .oidc(oidc -> oidc.providerConfigurationEndpoint(provider ->
                                                provider.providerConfigurationCustomizer(builder -> builder.claims(
                                                        AdvertisedMetadata.customizer(registrationEndpoint))))
                                        .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(context -> {
                                            String username =
                                                    context.getAuthorization().getPrincipalName();
                                            Map<String, Object> claims = new LinkedHashMap<>();
                                            claims.put("sub", username);
                                            users.find(username).ifPresent(user -> {
                                                claims.put(
                                                        SmartClaimNames.FHIR_USER, urls.fhirUserUrl(user.fhirUser()));
                                                claims.put("name", user.displayName());
                                            });
                                            return new OidcUserInfo(claims);
                                        }))))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint(SmartAuthPaths.LOGIN),
                        new AntPathRequestMatcher(SmartAuthPaths.AUTHORIZE)))
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(jwt -> jwt.decoder(accessTokenDecoder)))
                .cors(cors -> cors.configurationSource(corsConfigurationSource()))
                .addFilterBefore(
                        new AuthorizePostRequestFilter(SmartAuthPaths.AUTHORIZE), SecurityContextHolderFilter.class)
                .addFilterAfter(
                        new SessionGuardFilter(users, clock, accountProperties.idleTimeout()),
                        SecurityContextHolderFilter.class);
        return http.build();
    }

    /**
     * RFC 7591/7592 registration: a JSON API with its own bearer tokens (checked by the controller), so no session,
     * no CSRF token and no login.
     */
    @Bean
    @Order(REGISTRATION_CHAIN_ORDER)
    SecurityFilterChain smartRegistrationFilterChain(HttpSecurity http) throws Exception {
        http.securityMatcher(SmartAuthPaths.REGISTER, SmartAuthPaths.REGISTER + "/**")
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable());
        return http.build();
    }

    @Bean
    @Order(AUTH_PAGES_CHAIN_ORDER)
    SecurityFilterChain smartAuthPagesFilterChain(
            HttpSecurity http,
            UserDetailsService smartAuthUserDetailsService,
            LoginAttempts loginAttempts,
            UserAccountService users,
            ObjectProvider<Clock> clock,
            AccountProperties accountProperties,
            MfaLogin mfaLogin,
            ApplicationEventPublisher events)
            throws Exception {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(PASSWORD_ENCODER);
        passwords.setUserDetailsService(smartAuthUserDetailsService);
        AuthenticationManager authenticationManager =
                new ProviderManager(new LockoutAuthenticationProvider(passwords, loginAttempts, events, clock(clock)));
        ExceptionMappingAuthenticationFailureHandler failures = new ExceptionMappingAuthenticationFailureHandler();
        failures.setDefaultFailureUrl(SmartAuthPaths.LOGIN + "?error");
        failures.setExceptionMappings(Map.of(LoginLockedException.class.getName(), SmartAuthPaths.LOGIN + "?locked"));
        http.securityMatcher(
                        SmartAuthPaths.PREFIX + "/**",
                        SmartAuthPaths.OIDC_DISCOVERY,
                        SmartAuthPaths.OAUTH_METADATA + "/**")
                .authenticationManager(authenticationManager)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(HttpMethod.OPTIONS)
                        .permitAll()
                        .requestMatchers(
                                SmartAuthPaths.LOGIN,
                                SmartAuthPaths.SMART_STYLE,
                                SmartAuthPaths.STATIC,
                                SmartAuthPaths.PASSWORD_RESET,
                                SmartAuthPaths.PASSWORD_RESET_NEW,
                                SmartAuthPaths.MFA,
                                "/error")
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage(SmartAuthPaths.LOGIN)
                        .permitAll()
                        .failureHandler(failures)
                        .successHandler(mfaLogin.successHandler()))
                .addFilterAfter(
                        new SessionGuardFilter(users, clock(clock), accountProperties.idleTimeout()),
                        SecurityContextHolderFilter.class)
                .logout(logout ->
                        logout.logoutUrl(SmartAuthPaths.LOGOUT).logoutSuccessUrl(SmartAuthPaths.LOGIN + "?logout"))
                .cors(cors -> cors.configurationSource(corsConfigurationSource()));
        return http.build();
    }

    /**
     * CORS for browser apps (SMART "client-public" apps run in the browser): the token, introspection, revocation,
     * JWKS, userinfo and discovery endpoints and the style document answer any origin, with {@code Authorization}
     * and {@code Content-Type} allowed. Never the login, picker or approval pages.
     */
    static CorsConfigurationSource corsConfigurationSource() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(List.of("*"));
        cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
        cors.setAllowCredentials(false);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        for (String path : List.of(
                SmartAuthPaths.TOKEN,
                SmartAuthPaths.INTROSPECT,
                SmartAuthPaths.REVOKE,
                SmartAuthPaths.JWKS,
                SmartAuthPaths.USERINFO,
                SmartAuthPaths.SMART_STYLE,
                SmartAuthPaths.OIDC_DISCOVERY,
                SmartAuthPaths.OAUTH_METADATA,
                SmartAuthPaths.OAUTH_METADATA + "/**")) {
            source.registerCorsConfiguration(path, cors);
        }
        return source;
    }

    private static OAuth2TokenGenerator<?> tokenGenerator(
            SmartAuthUrls urls,
            SigningKeyStore keys,
            UserAccountService users,
            PatientAccessDirectory directory,
            Clock clock) {
        JwtGenerator jwtGenerator = new JwtGenerator(new NimbusJwtEncoder(keys));
        jwtGenerator.setJwtCustomizer(new SmartTokenCustomizer(urls, keys, users, directory, clock));
        return new DelegatingOAuth2TokenGenerator(jwtGenerator, new SmartRefreshTokenGenerator(clock));
    }

    private static Clock clock(ObjectProvider<Clock> clock) {
        return clock.getIfUnique(Clock::systemUTC);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
