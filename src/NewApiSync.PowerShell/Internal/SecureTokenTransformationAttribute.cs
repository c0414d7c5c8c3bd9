using System;
using System.Management.Automation;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// A token typed as plain text would sit in the command history; instead of PowerShell's "cannot convert String to
    /// SecureString", -AccessToken says how to give it securely. The message never repeats the text it was given.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureTokenTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "-AccessToken takes a SecureString, so the token is not left in plain text in your command history. " +
                    "Type it at a prompt with -AccessToken (Read-Host -AsSecureString -Prompt 'Access token'), or set NEWAPI_ACCESS_TOKEN for scheduled scripts.");
            }

            return inputData;
        }
    }
}
