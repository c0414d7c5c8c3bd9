using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Redirect;
using NewApiSync.PowerShell.Completion;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>The built-in standard model names New-NewApiModelRedirect uses when none are given or saved.</summary>
    [Cmdlet(VerbsCommon.Get, "NewApiStandardModel")]
    [OutputType(typeof(StandardModel))]
    public sealed class GetNewApiStandardModelCommand : NewApiCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(StandardModelCompleter))]
        public string[]? Name { get; set; }

        /// <summary>OpenAI, Anthropic, Google, Mistral, DeepSeek, Qwen or GLM (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Vendor { get; set; }

        protected override void EndProcessing()
        {
            var names = ErrorRecords.Patterns(this, Name, nameof(Name));
            var vendors = ErrorRecords.Patterns(this, Vendor, nameof(Vendor));
            foreach (StandardModel model in StandardModelCatalog.All)
            {
                if ((names is null || names.Any(p => p.IsMatch(model.Name))) && (vendors is null || vendors.Any(p => p.IsMatch(model.Vendor))))
                {
                    WriteObject(model);
                }
            }
        }
    }
}
