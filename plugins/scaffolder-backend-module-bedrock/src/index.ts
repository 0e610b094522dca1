/**
 * Scaffolder actions that provision Amazon Bedrock tenant stacks.
 *
 * @packageDocumentation
 */
export { scaffolderModuleBedrock as default } from './module';
