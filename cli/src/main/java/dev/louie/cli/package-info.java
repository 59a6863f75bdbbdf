/**
 * {@code louie.jar}, the command line for operators: inspect and repair the queues of a Louie
 * application on any storage URI ({@code sqlite:}, {@code redis://}).
 *
 * <pre>
 * java -jar louie.jar --storage sqlite:/var/lib/shop/louie.db --app shop queues
 * java -jar louie.jar --storage redis://cache:6379/0 --app shop dead default --json
 * java -jar louie.jar --storage redis://cache:6379/0 --app shop requeue default --all
 * </pre>
 *
 * <p>{@link dev.louie.cli.LouieCli} is the entry point; docs/operations.md describes every command.
 */
package dev.louie.cli;
