package org.caregate.server.config;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings that concern the whole facility.
 *
 * @param facilityZone the time zone whose calendar decides ages and birthdays (a guardian's access ends at
 *     00:00 on the child's 12th birthday in this zone)
 */
@ConfigurationProperties("caregate")
public record CareGateProperties(
        @DefaultValue("America/Los_Angeles") ZoneId facilityZone) {}
