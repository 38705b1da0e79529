package org.caregate.server.seed;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled load the sample dataset on the first start against an empty database
 */
@ConfigurationProperties("caregate.seed")
public record SeedProperties(@DefaultValue("true") boolean enabled) {}
