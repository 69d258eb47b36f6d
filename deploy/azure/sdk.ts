// The Pulumi SDK instance this program registers resources with, for the tests in test/deploy:
// they run from the repository root, where @pulumi/pulumi is not installed (the main package stays
// free of Pulumi), and pulumi.runtime.setMocks must act on the very module the program uses.
export * as pulumi from '@pulumi/pulumi';
