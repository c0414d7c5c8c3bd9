using System;
using System.Collections.Generic;
using System.Linq;

namespace NewApiSync.Sandbox
{
    /// <summary>The fault rules a test or script injects; the first matching rule with requests left catches a request.</summary>
    public sealed class SandboxFaults
    {
        private readonly List<SandboxFault> _rules = new List<SandboxFault>();

        public SandboxFault Add(SandboxFault fault)
        {
            if (fault is null)
            {
                throw new ArgumentNullException(nameof(fault));
            }

            lock (_rules)
            {
                _rules.Add(fault);
            }

            return fault;
        }

        /// <summary>Shorthand: the next <paramref name="count"/> requests on <paramref name="route"/> get <paramref name="kind"/>.</summary>
        public SandboxFault FailNext(SandboxRoute route, SandboxFaultKind kind, int count = 1, int? channelId = null) =>
            Add(new SandboxFault(route, kind, count) { ChannelId = channelId });

        public void Clear()
        {
            lock (_rules)
            {
                _rules.Clear();
            }
        }

        internal SandboxFault? Take(SandboxRoute route, int? channelId)
        {
            lock (_rules)
            {
                foreach (SandboxFault rule in _rules)
                {
                    if (rule.Remaining <= 0 || (rule.Route != SandboxRoute.Any && rule.Route != route))
                    {
                        continue;
                    }

                    if (rule.ChannelId is int wanted && wanted != channelId)
                    {
                        continue;
                    }

                    rule.Remaining--;
                    return rule;
                }
            }

            return null;
        }
    }
}
