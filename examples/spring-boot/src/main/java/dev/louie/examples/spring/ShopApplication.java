package dev.louie.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The application: Louie comes from louie-spring-boot-starter and the {@code louie.*} lines of application.properties. */
@SpringBootApplication
public class ShopApplication {
    /** Starts the application (port 8080 unless server.port says otherwise). */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
