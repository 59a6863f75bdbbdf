/**
 * A Spring Boot web application with Louie: {@link dev.louie.examples.spring.ShopApplication} (the
 * main class), {@link dev.louie.examples.spring.PriceTasks} (task bean using another bean),
 * {@link dev.louie.examples.spring.PriceController} (REST endpoints that wait for one task and hand
 * out a result id for the other).
 */
package dev.louie.examples.spring;
