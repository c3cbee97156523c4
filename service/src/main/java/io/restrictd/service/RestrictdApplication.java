package io.restrictd.service;

import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/** restrictd's composition root: every part is built here with plain constructors. */
public class RestrictdApplication extends Application<RestrictdConfiguration> {
    public static void main(String[] args) throws Exception {
        new RestrictdApplication().run(args);
    }

    @Override
    public String getName() {
        return "restrictd";
    }

    @Override
    public void initialize(Bootstrap<RestrictdConfiguration> bootstrap) {
    }

    @Override
    public void run(RestrictdConfiguration configuration, Environment environment) {
    }
}
