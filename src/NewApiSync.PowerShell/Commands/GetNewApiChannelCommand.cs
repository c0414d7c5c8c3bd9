using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NewApiSync.Engine.Api;
using NewApiSync.Engine.Channels;
using NewApiSync.PowerShell.Internal;
using NewApiSync.PowerShell.Completion;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>Lists the site's channels, or gets them by id; filters by name (wildcards) and status.</summary>
    [Cmdlet(VerbsCommon.Get, "NewApiChannel")]
    [OutputType(typeof(Channel))]
    public sealed class GetNewApiChannelCommand : NewApiConnectedCmdlet
    {
        /// <summary>Channel ids; history records bind by their ChannelId property.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ChannelId")]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(ChannelIdCompleter))]
        public int[]? Id { get; set; }

        /// <summary>Channel names; wildcards allowed, case-insensitive.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ChannelNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only channels with this status.</summary>
        [Parameter]
        [ValidateSet(nameof(ChannelStatus.Enabled), nameof(ChannelStatus.ManuallyDisabled), nameof(ChannelStatus.AutoDisabled))]
        public ChannelStatus? Status { get; set; }

        protected override void ProcessRecord()
        {
            // A bad pattern is refused before anything is asked of the site.
            WildcardPattern[]? patterns = ErrorRecords.Patterns(this, Name, nameof(Name));
            IReadOnlyList<Channel> channels;
            try
            {
                channels = Id is { Length: > 0 } ? GetById(Id) : List();
            }
            catch (NewApiException ex)
            {
                ThrowApiError(ex, ex.IsFatalForRun ? "NewApiAuthenticationFailed" : "CannotListChannels", ResolvedConnection);
                return;
            }

            var matchedNames = new HashSet<string>();
            foreach (Channel channel in channels)
            {
                if (Status is ChannelStatus wanted && channel.Status != wanted)
                {
                    continue;
                }

                if (patterns is not null)
                {
                    WildcardPattern? hit = patterns.FirstOrDefault(p => p.IsMatch(channel.Name));
                    if (hit is null)
                    {
                        continue;
                    }

                    matchedNames.Add(channel.Name);
                }

                WriteObject(channel);
            }

            // Like Get-Item: a literal name that matched nothing is an error; a wildcard that matched nothing is not.
            foreach (string name in Name ?? new string[0])
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !matchedNames.Contains(name, System.StringComparer.OrdinalIgnoreCase))
                {
                    WriteError(ErrorRecords.Create("CannotFindChannel", ErrorCategory.ObjectNotFound, $"No channel named '{name}' on {ResolvedConnection.BaseUrl}.", name, "List the channels with Get-NewApiChannel, or use a wildcard such as *claude*."));
                }
            }
        }

        private IReadOnlyList<Channel> List()
        {
            string? serverFilter = Status == ChannelStatus.Enabled ? "enabled" : Status is null ? null : "disabled";
            return RunOnWorker(async (log, ct) =>
            {
                using NewApiClient client = CreateClient(log);
                return await client.ListChannelsAsync(serverFilter, null, ct).ConfigureAwait(false);
            });
        }

        private IReadOnlyList<Channel> GetById(int[] ids)
        {
            var found = new List<Channel>();
            foreach (int id in ids)
            {
                try
                {
                    found.Add(RunOnWorker(async (log, ct) =>
                    {
                        using NewApiClient client = CreateClient(log);
                        return await client.GetChannelAsync(id, ct).ConfigureAwait(false);
                    }));
                }
                catch (NewApiException ex) when (ex.Kind == NewApiErrorKind.NotFound)
                {
                    WriteError(ErrorRecords.Create("CannotFindChannel", ErrorCategory.ObjectNotFound, $"Channel {id} does not exist on {ResolvedConnection.BaseUrl}.", id, "List the channels with Get-NewApiChannel."));
                }
            }

            return found;
        }
    }
}
